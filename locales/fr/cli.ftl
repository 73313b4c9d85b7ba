# La ligne de commande `couper` : son --help (cli-…) et ce que ses commandes affichent
# pour une personne (couper-…). Les identifiants de l'aide suivent les commandes :
# cli-<commande> résume une commande, cli-<commande>-<argument> un de ses arguments,
# cli-arg-<argument> un argument de toutes les commandes (--config, --help, --version).

## --help.
cli-about = Couper : le gardien des notifications pour le droit à la déconnexion
cli-usage = Utilisation :
cli-heading-commands = Commandes
cli-heading-arguments = Arguments
cli-heading-options = Options
cli-arg-config = Le fichier de réglages (par défaut : $COUPER_CONFIG, sinon ~/.config/couper/settings.toml)
cli-arg-help = Afficher l'aide
cli-arg-version = Afficher la version
cli-help = Afficher ce message ou l'aide des commandes données
cli-help-subcommand = Afficher l'aide de ces commandes
cli-run = Lancer la porte sans l'icône (ce que lance un service utilisateur systemd)
cli-run-replace = Placer Couper devant le démon de notifications que vous avez lancé (il tourne alors derrière Couper). Celui que la session a lancé à la demande est remplacé de toute façon
cli-status = Mode, au travail ou non, d'astreinte ou non, prochain changement, notifications en attente, route
cli-status-json = Sortie pour les programmes (JSON)
cli-off = « Je suis déconnecté » : hors du temps de travail jusqu'au prochain jour travaillé (ou --until)
cli-off-until = Jusqu'à quand (RFC 3339, HH:MM ou « AAAA-MM-JJ HH:MM » dans votre fuseau)
cli-on = « Je travaille » : temps de travail pendant une heure (ou --until) ; libère ce qui est en attente
cli-on-until = Jusqu'à quand (comme pour `couper off`)
cli-auto = Suivre de nouveau l'horaire
cli-on-call = Astreinte à la main
cli-on-call-state = on, off, ou toggle (l'inverse de maintenant)
cli-held = Les notifications en attente
cli-held-json = Sortie pour les programmes (JSON)
cli-release = Libérer maintenant des notifications en attente
cli-release-ids = Les numéros à libérer
cli-release-all = Les libérer toutes
cli-explain = La décision prise pour une notification, et pourquoi
cli-explain-id = Le numéro de la notification
cli-alert = Envoyer une alerte par la porte (pour les scripts et les outils d'astreinte)
cli-alert-crisis = La marquer comme une crise
cli-alert-title = Le titre
cli-alert-body = Le texte
cli-check = Vérifier un fichier de réglages ; code de sortie 1, avec les raisons, s'il est refusé
cli-simulate = Rejouer une chronologie de lignes JSON lue sur l'entrée standard, sans aucun bureau
cli-simulate-json = Accepté par symétrie : la sortie est toujours en lignes JSON
cli-simulate-history = Garder la base du rejeu (son historique) dans ce fichier plutôt que dans un fichier temporaire
cli-forget = Effacer l'historique (en entier, ou ce qui précède une date) : les décisions dont les bilans sont faits, les notifications libérées, les apps vues. Les notifications en attente restent
cli-forget-before = Seulement avant ce jour (AAAA-MM-JJ, son début dans votre fuseau) ou cet instant (« AAAA-MM-JJ HH:MM », RFC 3339). Une date vide est refusée
cli-forget-all = En entier (ce que fait aussi `couper forget` seul), pour les scripts qui le disent
cli-restore = Remettre chaque réglage du bureau que la route de pilotage a changé (après un plantage)
cli-report = Le bilan de déconnexion (de cette semaine par défaut), ou le relevé d'astreinte
cli-report-week = Cette semaine (du lundi au dimanche), ou la semaine de DAY (AAAA-MM-JJ)
cli-report-month = Ce mois-ci, ou MONTH (AAAA-MM)
cli-report-from = À partir de ce jour (AAAA-MM-JJ), avec --to
cli-report-to = Jusqu'à ce jour (AAAA-MM-JJ), inclus
cli-report-on-call = Le relevé d'astreinte d'un mois (ce mois-ci sans --month)
cli-report-json = Pour les programmes : JSON
cli-report-csv = Pour un tableur : CSV (`;` et virgules décimales en français)
cli-report-lang = fr ou en (par défaut : la langue des réglages, sinon celle de votre locale)
cli-report-history = La base à lire (par défaut : celle de Couper), par exemple un fichier de `couper simulate --history`
cli-report-at = Le faire à cet instant (RFC 3339) : « cette semaine » et « ce mois-ci » sont les siens
cli-reply = La réponse automatique : quand vous répondrez, en toutes lettres, pour ceux qui attendent
cli-reply-lang = fr ou en (par défaut : la langue des réglages, sinon celle de votre locale)
cli-reply-history = Lire cette base au lieu de demander à la porte en marche
cli-reply-at = À cet instant (RFC 3339) plutôt que maintenant, d'après les réglages et la base, sans demander à la porte en marche (pour vérifier ce que dira une réponse)
cli-browser = Un profil de travail pour un navigateur : une entrée de menu à lui, et tout ce qu'il affiche est du travail
cli-browser-add = Créer un profil de travail : une entrée de menu « Firefox (travail) » qui lance le navigateur avec son propre profil, et une source de travail pour lui
cli-browser-add-browser = firefox ou chromium
cli-browser-remove = Retirer l'entrée de menu et la source de travail d'un profil de travail (ses données restent)
cli-browser-remove-browser = firefox ou chromium
cli-browser-list = Les profils de travail créés, avec leurs entrées de menu et leurs profils
cli-browser-help = Afficher ce message ou l'aide des commandes données
cli-browser-help-subcommand = Afficher l'aide de ces commandes

## Ce qu'affichent les commandes.
couper-ok = ok
couper-no-such-file = { $path } : fichier introuvable (sans lui, Couper suit ses réglages par défaut : du lundi au vendredi de 09:00 à 18:00, aucune app de travail)
couper-no-settings-path = aucun chemin de réglages : donnez --config CHEMIN ou définissez COUPER_CONFIG
couper-no-data-dir = aucun répertoire de données pour la base
couper-no-temp-dir = impossible de créer un répertoire temporaire
couper-no-session-bus = aucun bus de session : est-ce une session de bureau ?
couper-no-gate = aucune porte Couper ne tourne dans cette session : lancez-la avec `couper run` ou l'app Couper
couper-app-gates = l'app Couper filtre déjà cette session (pid { $pid }) : utilisez son icône ou `couper status`, ou quittez l'app avant de lancer `couper run`
couper-gate-restores = une porte Couper tourne dans cette session : elle remet vos réglages elle-même quand elle s'arrête (arrêtez-la d'abord)
couper-nothing-to-restore = rien à remettre
couper-put-back = { $route } { $key } : remis à { $value }
couper-left-as-changed = { $route } { $key } : laissé à { $value } (changé à la main pendant que Couper tournait)
couper-value-unset = non défini
couper-bad-at = --at { $at } n'est pas une heure RFC 3339 (2026-11-27T17:30:00+01:00)
couper-bad-day = --{ $flag } { $day } n'est pas un jour : écrivez AAAA-MM-JJ
couper-bad-month = --month { $month } n'est pas un mois : écrivez AAAA-MM (2026-10)
couper-bad-lang = { $lang } n'est pas une langue que Couper parle : fr ou en
couper-no-such-store = { $path } : base introuvable
couper-unreadable = la porte a répondu quelque chose d'illisible : { $why }
couper-erased = historique effacé ({ $count ->
    [one] { $count } décision
   *[other] { $count } décisions
})
couper-erased-before = historique d'avant le { $date } effacé ({ $count ->
    [one] { $count } décision
   *[other] { $count } décisions
})
couper-release-which = dites lesquelles : couper release NUMÉRO… ou couper release --all
couper-released = { $count ->
    [one] { $count } libérée
   *[other] { $count } libérées
}
couper-unknown-id = aucune notification { $id } n'est connue (les personnelles ne sont gardées en mémoire que tant que Couper tourne)

## couper status : la ligne de l'état (telle que la dit l'infobulle de l'icône), puis une ligne chacun.
couper-status-mode = mode :
couper-status-on-call = astreinte :
couper-status-held = en attente :
couper-status-next-start = reprise :
couper-status-route = route :
couper-status-settings = réglages :
couper-status-refused = refusés :
couper-status-store = stockage :
couper-status-calendar = planning :
couper-status-zone = fuseau :
couper-mode-auto = auto (l'horaire)
couper-mode-off = déconnecté (à votre demande)
couper-mode-off-until = déconnecté jusqu'à { $until } (à votre demande)
couper-mode-on = au travail jusqu'à { $until } (à votre demande)
couper-yes = oui
couper-no = non
couper-on-call-by-hand = oui (à la main)
couper-no-display = aucun démon d'affichage
couper-refused-keeps = { $why } (les derniers bons réglages restent en vigueur)
couper-store-failing = ne peut plus garder les notifications depuis { $since } ({ $error }) ; { $count ->
        [one] 1 a été montrée tout de suite à la place
       *[other] { $count } ont été montrées tout de suite à la place
    }
couper-calendar-read = { $shifts ->
    [one] { $shifts } créneau
   *[other] { $shifts } créneaux
} de { $location }, copie lue { $read }
couper-calendar-no-copy = { $shifts ->
    [one] { $shifts } créneau
   *[other] { $shifts } créneaux
} de { $location }, aucune bonne copie pour l'instant
couper-calendar-stale = périmé depuis { $since } : { $why } ; copie lue { $read } utilisée ({ $shifts ->
    [one] { $shifts } créneau
   *[other] { $shifts } créneaux
})
couper-calendar-stale-no-copy = périmé depuis { $since } : { $why } ; aucune bonne copie pour l'instant ({ $shifts ->
    [one] { $shifts } créneau
   *[other] { $shifts } créneaux
})
couper-calendar-cannot-read = lecture impossible
couper-calendar-skipped = { $first }
couper-calendar-skipped-more = { $first } (et { $more } de plus)

## couper held et couper explain.
couper-nothing-held = rien en attente
couper-held-id = n°
couper-held-at = retenue
couper-held-from = de
couper-held-summary = résumé
couper-explain-released = libérée ({ $why })
couper-explain-withdrawn = retirée par son app
