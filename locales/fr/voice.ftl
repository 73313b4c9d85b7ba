# Les notifications de Couper lui-même : le résumé d'une remise, la liste qu'il ouvre,
# ses avertissements.

## Le résumé : « En votre absence : 12 retenues — Slack 7, Teams 5 ».
digest-summary = En votre absence : { $count ->
        [one] { $count } retenue
       *[other] { $count } retenues
    } — { $list }
digest-app = { $app } { $count }
digest-body = Ouvrez Couper pour les lire.
digest-show = Voir
digest-show-held = Voir les retenues
digest-release-all = Tout rendre

## La liste qu'ouvre le résumé là où aucune fenêtre ne tourne.
held-list-summary = Retenues pendant votre absence
held-list-line = { $app } — { $summary }
held-list-more = … et { $count } de plus (couper held)

## Là où aucune fenêtre ne tourne, ce qui montre la même chose dans un terminal.
no-window-summary = Aucune fenêtre de Couper ici
no-window-body = `{ $command }` dans un terminal l'affiche.

## Les avertissements, chacun dit une fois ; `$why` en est la cause en une ligne.
warning-details = Détails
warning-not-gating-summary = Couper ne retient plus les notifications
warning-not-gating-body = { $why }. Toutes passent jusqu'à ce que Couper se place de nouveau devant l'affichage.
warning-shell-lost-summary = Couper a perdu le shell du bureau
warning-shell-lost-body = { $why }. Vos réglages de notifications sont revenus tels qu'ils étaient ; relancez Couper.
warning-calendar-stale-summary = Le calendrier d'astreinte n'a pas pu être lu depuis un jour
warning-calendar-stale-body = Chaque lecture échoue depuis { $since } ; Couper garde la dernière copie lue.
warning-settings-refused-summary = Votre modification des réglages est refusée
warning-settings-refused-body = { $why }. Les derniers bons réglages restent en vigueur.

## La réponse automatique (SPEC §8), quand les réglages n'en donnent pas ; `$next` est
## la prochaine reprise du travail en mots : « mardi 26 novembre à 9 h ».
reply-default = Merci pour votre message ! Nous vous répondrons { $next }.
reply-soon = dès que possible
reply-next = { $weekday } { $day ->
        [1] 1er
       *[other] { $day }
    } { $month } à { $time }
reply-next-year = { $weekday } { $day ->
        [1] 1er
       *[other] { $day }
    } { $month } { $year } à { $time }
reply-time = { $minute ->
        [0] { $hour } h
       *[other] { $hour } h { $minutes }
    }

## Où va le planning ensuite, sous les horaires dans la fenêtre des réglages.
preview-off-and-back = Ensuite : fin à { $end }, retour { $start }
preview-off = Ensuite : fin à { $end }
preview-around-the-clock = Travail en continu
preview-back = Ensuite : reprise { $start }
preview-never = Aucune heure de travail dans l'année
