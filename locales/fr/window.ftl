# Les mots propres à la fenêtre de réglages (ui/). L'état de la journée, les jours et
# les mois viennent de common.ftl, partagé avec l'icône et la ligne de commande.

## La fenêtre.
app-title = Réglages de Couper
app-loading = Chargement de vos réglages…
app-load-failed = Impossible de charger les réglages : { $message }

## La ligne d’état (l’état lui-même : common.ftl).
status-unavailable = Couper ne répond pas : { $message }

## Onglets.
tabs-label = Sections des réglages
tab-hours = Horaires
tab-apps = Applis et comptes pro
tab-crisis = Crise et astreinte
tab-held = En attente
tab-held-count = En attente ({ $count })
tab-diagnostics = Diagnostic
tab-report = Bilan

## Onglet Bilan.
report-heading = Cette semaine
report-loading = Chargement du bilan…
report-failed = Impossible de charger le bilan : { $message }
report-week = Semaine du { $first } au { $last }
report-chart = Notifications pro par jour et par heure
report-chart-hint = Les flèches du clavier passent d’une heure ou d’un jour à l’autre.
report-cell = { $day } { $time } : { $counts }
report-cell-none = aucune notification pro
report-cell-held = { $count } en attente
report-cell-delivered = { $count } remises
report-cell-crisis-one = 1 crise
report-cell-crises = { $count } crises
report-legend = Légende
report-legend-none = Rien
report-legend-delivered = Remises pendant le travail
report-legend-held = Mises en attente ou tues
report-legend-crisis = Crise laissée passer
report-figures = Les chiffres de la semaine
report-app = Appli
report-held = En attente
report-silenced = Tues
report-delivered = Remises
report-crises = Crises
report-total = Total
report-no-apps = Aucune notification pro cette semaine.
report-interruptions = Interruptions hors horaires
report-no-interruptions = Aucune : le travail vous a laissé tranquille en dehors de vos horaires.
report-time = Heure
report-why = Pourquoi elle est passée
report-on-call-tag = astreinte
report-statement = Relevé d’astreinte, { $month }
report-statement-failed = Impossible de charger le relevé d’astreinte : { $message }
report-start = Début
report-end = Fin
report-hours = Heures
report-night = Nuit (21 h – 6 h)
report-sunday = Dimanche
report-holiday = Jour férié
report-origin = Origine
report-origin-schedule = planning
report-origin-calendar = calendrier
report-origin-manual = à la main
report-no-periods = Aucune période d’astreinte ce mois-ci.
report-interventions = Interventions
report-no-interventions = Aucune intervention ce mois-ci.
report-export = Exporter en CSV
report-exported = { $file } enregistré.
report-export-failed = Export impossible : { $message }

## Onglet Horaires.
hours-heading = Horaires de travail
hours-intro = Ajoutez les plages travaillées de chaque jour. Faites glisser une plage pour la déplacer, ses bords pour la modifier, ou tapez les heures (HH:MM). Une plage qui finit avant de commencer passe minuit.
hours-keys = Sur une plage sélectionnée : les flèches gauche et droite la déplacent de 15 minutes, Maj avec une flèche change sa fin, Alt avec une flèche change son début, Suppr l’enlève, Entrée permet de taper ses heures.
hours-day-off = Jour non travaillé
hours-range = plage { $n }
hours-from = De
hours-to = À
hours-add = Ajouter une plage
hours-remove = Enlever
hours-block = { $day }, de { $start } à { $end }
hours-track = { $day } : frise de 24 heures
hours-preview = Aperçu :
hours-preview-pending = Vérification…
hours-preview-stale = Pas d’aperçu tant qu’un champ est refusé.
hours-zone = Fuseau horaire
hours-zone-hint = Un nom IANA, par exemple Europe/Paris.
hours-holidays-heading = Jours fériés
hours-holidays-f-r = Les jours fériés français ne sont pas travaillés
hours-extra-holidays = Autres jours non travaillés
hours-holiday = Jour { $n }
hours-add-holiday = Ajouter un jour
hours-remove-holiday = Enlever le jour { $n }
hours-time-off = Congés
hours-time-off-none = Aucun congé prévu.
hours-time-off-item = Congé { $n }
hours-time-off-start = Premier jour
hours-time-off-end = Dernier jour
hours-time-off-label = Libellé
hours-add-time-off = Ajouter un congé
hours-remove-time-off = Enlever le congé { $n }

## Onglet Applis pro.
apps-heading = Applis et comptes pro
apps-intro = Les notifications de ces applis (et comptes) suivent vos horaires. Toutes les autres applis sont personnelles : Couper n’y touche jamais.
apps-none = Aucune appli pro pour l’instant : rien n’est mis en attente.
apps-item = Appli pro { $n }
apps-name = Nom
apps-app = Appli
apps-app-hint = Son nom d’appli ou son entrée de bureau, majuscules ou non.
apps-account = Compte (facultatif)
apps-account-hint = Un texte présent dans la notification : une adresse e-mail, un espace de travail, une page.
apps-off-hours = En dehors de vos horaires
apps-hold = Mettre en attente jusqu’à la reprise
apps-drop = Passer sous silence
apps-add = Ajouter une appli pro
apps-remove = Enlever { $name }
apps-seen = Vues récemment
apps-seen-intro = Les applis qui ont envoyé des notifications dernièrement, les plus récentes d’abord.
apps-seen-none = Aucune appli vue pour l’instant.
apps-seen-count = { $count } notifications, dernière { $when }
apps-this-is-work = C’est pro
apps-this-is-work-label = { $app } : c’est pro
apps-added = { $app } est maintenant une appli pro.
apps-sites = Sites (pour un navigateur)
apps-sites-hint = Seuls ces sites sont pro dans ce navigateur, chacun avec ses sous-domaines (linkedin.com couvre www.linkedin.com). Aucun : tous les sites.
apps-site = Site { $n }
apps-add-site = Ajouter un site
apps-remove-site = Enlever le site { $n }
apps-sites-source = { $app } (sites pro)
apps-seen-sites = Sites vus dans { $app }
apps-site-this-is-work-label = { $site } dans { $app } : c’est pro
apps-site-added = { $site } est maintenant un site pro dans { $app }.
apps-site-is-work = Site pro
apps-browser-heading = Profil de navigateur pro
apps-browser-intro = Un navigateur ne dit pas lesquelles de ses notifications sont pro. Un profil à lui pour le travail, avec sa propre entrée de menu, le dit : toutes ses notifications suivent vos horaires, quel que soit le site.
apps-browser-none = Ni Firefox ni Chromium n’est installé ici.
apps-browser-add = Créer un profil pro
apps-browser-add-label = { $browser } : créer un profil pro
apps-browser-remove = Retirer le profil pro
apps-browser-remove-label = { $browser } : retirer le profil pro
apps-browser-made = { $browser } (travail) est dans votre menu : ses notifications sont pro.
apps-browser-data-stays = Le retirer garde ses données (marque-pages, identifiants, historique) dans { $profile }.
apps-browser-added = { $browser } (travail) est créé : lancez-le depuis votre menu.
apps-browser-removed = { $browser } (travail) est retiré ; ses données restent dans { $profile }.

## Onglet Crise.
crisis-heading = Alertes de crise
crisis-pass = Laisser passer les crises hors de vos horaires
crisis-pass-always = Toujours
crisis-pass-on-call = Seulement quand je suis d’astreinte
crisis-critical = Les notifications d’urgence critique sont des crises
crisis-keywords = Mots-clés
crisis-keywords-hint = Des mots entiers ou des expressions, majuscules et accents indifférents.
crisis-keyword = Mot-clé { $n }
crisis-add-keyword = Ajouter un mot-clé
crisis-remove-keyword = Enlever le mot-clé { $n }
crisis-senders = Expéditeurs
crisis-senders-hint = Une notification dont le titre en nomme un est une crise.
crisis-sender = Expéditeur { $n }
crisis-add-sender = Ajouter un expéditeur
crisis-remove-sender = Enlever l’expéditeur { $n }
crisis-repeat-heading = Messages répétés
crisis-repeat = Un même expéditeur qui insiste est une crise
crisis-repeat-count = Messages
crisis-repeat-minutes = En (minutes)

## Astreinte.
on-call-heading = Astreinte
on-call-now = D’astreinte maintenant (à la main)
on-call-shifts = Périodes d’astreinte
on-call-shifts-none = Aucune période.
on-call-shift = Période { $n }
on-call-shift-start = Début
on-call-shift-end = Fin
on-call-add-shift = Ajouter une période
on-call-remove-shift = Enlever la période { $n }
on-call-rotation = Roulement
on-call-rotation-on = Je suis d’astreinte par roulement
on-call-first = Première semaine d’astreinte
on-call-every = Toutes les (semaines)
on-call-from = Du
on-call-until = Au
on-call-day = Jour
on-call-time = Heure
on-call-next = Prochaines astreintes
on-call-next-none = Aucune astreinte à venir.

## Onglet En attente.
held-heading = Notifications en attente
held-none = Rien n’est en attente.
held-app = Appli
held-summary = Titre
held-time = Reçue à
held-reason = Raison
held-actions = Actions
held-crisis = crise
held-release = Délivrer
held-release-label = Délivrer { $summary }
held-dismiss = Écarter
held-dismiss-label = Écarter { $summary }
held-release-all = Tout délivrer
held-released = { $count } délivrée(s).
held-mode = À la reprise du travail
held-digest = Un seul résumé
held-replay = Les remontrer une à une

## Onglet Diagnostic.
diag-heading = Diagnostic
diag-mode = Mode
diag-mode-auto = Suit vos horaires
diag-mode-off = Je suis déconnecté
diag-mode-on = Je travaille
diag-route = Chemin des notifications
diag-route-reason = Pourquoi ce chemin
diag-display = Démon d’affichage
diag-display-none = Aucun trouvé
diag-settings-path = Fichier de réglages
diag-refused = Dernier refus d’une modification des réglages
diag-refused-none = Aucun
diag-store-failure = Couper ne peut plus garder les notifications depuis { $since } ({ $error }) : { $count ->
        [one] 1 a été montrée tout de suite à la place
       *[other] { $count } ont été montrées tout de suite à la place
    }. Rien n’est perdu ; vérifiez le disque et le fichier.
diag-autostart = Lancer Couper à l’ouverture de session
diag-unknown = Inconnu
diag-not-gating = Couper ne retient pas vos notifications en ce moment : { $reason }
diag-replace = Placer Couper devant { $who }
diag-retry = Réessayer

## Enregistrement.
save-save = Enregistrer
save-revert = Annuler les modifications
save-saved = Tout est enregistré.
save-clean = Aucune modification en cours.
save-unsaved = Modifications non enregistrées.
save-saving = Enregistrement…
save-invalid = Non enregistré : corrigez les champs signalés.
save-failed = Non enregistré : { $message }
errors-heading = À corriger avant d’enregistrer
errors-goto = Voir
errors-whole = Réglages
external-changed = Le fichier de réglages a été modifié hors de cette fenêtre.
external-take = Charger la version du fichier
external-keep = Garder mes modifications

## Effacer l’historique.
forget-heading = Effacer l’historique
forget-what = Ce que Couper garde pour ces bilans : ses décisions, les notifications déjà rendues, les applications vues et les sites qu’elles ont nommés. Les notifications retenues ne sont pas de l’historique : elles restent jusqu’à leur remise.
forget-all = Tout
forget-before = Avant le
forget-before-day = Effacer ce qui précède ce jour
forget-erase = Effacer…
forget-ask-all = Effacer tout l’historique ?
forget-ask-before = Effacer l’historique d’avant le { $day } ?
forget-stays = C’est définitif ; les notifications retenues restent.
forget-yes = Effacer
forget-no = Annuler
forget-done = Historique effacé ({ $count } décisions).
forget-failed = Effacement impossible : { $message }

## Lancement avec la session.
autostart-notice = Couper se lance désormais à l’ouverture de session : vos horaires sont tenus dès le début de chaque session.
autostart-keep = D’accord
autostart-off = Ne pas lancer avec ma session
refused-banner = Votre dernière modification du fichier de réglages a été refusée ; les réglages précédents restent en vigueur : { $message }
action-failed = Cela n’a pas marché : { $message }

## Les dates, avec les mois de common.ftl.
date-day-month = { $date } { $month }
date-month-year = { $month } { $year }
date-long = { $date } { $month } { $year }

## La langue de Couper (la clé language des réglages).
language-heading = Langue
language-label = Langue de Couper
language-auto = Automatique (la langue du système)
language-hint = L’icône, les notifications et cette fenêtre la parlent.
language-fr = Français
language-en = English
