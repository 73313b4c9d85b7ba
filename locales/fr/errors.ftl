# Pourquoi un fichier, une demande ou la porte a été refusé, tel que la CLI et le
# plateau le disent.

## Un fichier que l'utilisateur nomme (réglages, calendrier).
userfile-cannot-read = { $path } : lecture impossible : { $why }
userfile-not-regular = c'est { $kind }, pas un fichier ordinaire
userfile-kind-fifo = une FIFO
userfile-kind-device = un périphérique
userfile-kind-socket = une socket
userfile-kind-directory = un répertoire
userfile-kind-other = autre chose qu'un fichier
userfile-too-large = il dépasse { $mib } Mio, le plus que Couper lit
userfile-not-text = ce n'est pas du texte UTF-8

## La porte.
gate-already-running = une porte Couper tourne déjà dans cette session{ $owner } ; utilisez `couper status`, ou arrêtez-la avant d'en lancer une autre
gate-settings-refused = les réglages sont refusés et aucune bonne copie n'est connue :
gate-proxy-reason = aucun shell de bureau ne détient org.freedesktop.Notifications : Couper le détient et affiche les notifications par le démon d'affichage, sur un bus privé

## Une demande à la porte (de la CLI, du plateau, de la fenêtre) ; `$text` est cité tel que tapé.
request-not-a-mode = { $mode } n'est pas un mode : off, on, auto ou toggle
request-mode-no-end = { $mode } ne prend pas d'heure de fin
request-until-not-a-time = --until { $text } n'est pas une heure : écrivez HH:MM, AAAA-MM-JJ HH:MM ou RFC 3339 (2026-11-30T09:00:00+01:00)
request-until-past = --until { $text } est déjà passé
request-before-empty = --before est vide : donnez une date (AAAA-MM-JJ, AAAA-MM-JJ HH:MM ou RFC 3339), ou utilisez --all pour effacer tout l'historique
request-before-not-a-date = --before { $text } n'est pas une date : écrivez AAAA-MM-JJ, AAAA-MM-JJ HH:MM ou RFC 3339
request-form-not-json = le formulaire n'est pas du JSON : { $why }
request-no-window = cette porte tourne sans fenêtre (couper run)

## Le calendrier de l'équipe (astreinte), tel que `couper status` et la fenêtre disent
## pourquoi il n'est plus à jour.
calendar-cannot-read = { $location } : lecture impossible : { $why }
calendar-http = { $location } : { $why }
calendar-server-answered = le serveur a répondu { $status }
calendar-not-icalendar = { $location } : ce n'est pas un fichier iCalendar : { $why }

## Pourquoi un calendrier n'en est pas un, ou un de ses événements est ignoré
## (`$summary` et `$zone` viennent cités ; les mots des bibliothèques suivent certains,
## en anglais).
calendar-not-vcalendar = il ne commence pas par BEGIN:VCALENDAR
calendar-event-skipped = événement { $summary } ignoré : { $why }
calendar-unknown-zone = fuseau horaire inconnu { $zone }
calendar-no-dtstart = pas de DTSTART
calendar-its-end = sa fin : { $why }
calendar-ends-before-start = il finit avant de commencer
calendar-its-dtend = son DTEND : { $why }
calendar-its-duration = sa DURATION { $duration } : { $why }
calendar-no-end = il n'a ni DTEND ni DURATION
calendar-rrule-zone = fuseau horaire { $zone } inconnu des règles de récurrence
calendar-out-of-range = { $why } hors limites
calendar-its-rrule = sa RRULE : { $why }
calendar-rrule-before-window = sa RRULE se répète plus de { $count } fois avant les jours gardés
calendar-too-many = il se répète plus de { $count } fois dans les { $days } jours gardés

## L'application du plateau, telle que sa fenêtre dit ce qui a échoué.
app-not-saved = les réglages n'ont pas pu être enregistrés : { $why }
app-gate-silent = couper run n'a pas répondu : { $why }
app-gate-unreadable = couper run a répondu ce que cette application ne sait pas lire ({ $why }) : les deux sont-ils de la même version ?
app-autostart-failed = lancement à l'ouverture de session : { $why }
app-not-a-period = { $period } n'est ni "week" ni "month"
app-not-a-browser = { $browser } n'est ni "firefox" ni "chromium"

## Ce qui arrête la porte, ou la met de côté (elle laisse tout passer) : une ligne
## chacun, qui dit quoi faire. `$name` est org.freedesktop.Notifications.
gate-name-taken-shell = { $name } est détenu par { $who }, les notifications propres au shell du bureau : la route proxy ne peut pas se placer devant lui ; Couper n'arrête jamais un autre programme.
gate-name-taken = { $name } est détenu par { $who }, que vous avez lancé : `couper run --replace` place Couper devant lui (Couper le fait alors tourner derrière lui-même), ou arrêtez-le et relancez couper run.
gate-no-display-daemon = aucun démon d'affichage trouvé : aucun fichier d'activation D-Bus dans { $dirs } ne fournit { $name } ; nommez-en un dans les réglages ([display] command = ["dunst"])
gate-systemd-only = { $file } ne lance le démon d'affichage que par systemd ({ $unit }) et ne donne aucune commande ; nommez la commande dans les réglages ([display] command = [...])
gate-none-fits = aucun démon d'affichage ne convient à cette session : { $unfit } ne peut pas afficher ici (pas de compositeur Wayland) ; nommez-en un dans les réglages ([display] command = ["dunst"])
gate-none-started = aucun démon d'affichage n'a pu démarrer : { $tried }
gate-take-over-failed = { $who } n'a pas rendu { $name } dans les 5 s suivant la demande d'arrêt : Couper se met de côté ; arrêtez-le et réessayez
gate-empty-command = la commande [display] des réglages est vide : nommez un programme, par exemple ["dunst"]
gate-cannot-start = impossible de lancer { $program } : { $why }
gate-private-bus = le D-Bus privé de Couper (dbus-daemon) a échoué : { $why }
gate-display-never-owned = le démon d'affichage `{ $command }` n'a pas pris { $name } sur le bus privé de Couper en { $seconds } s ; vérifiez qu'il tourne sur cet affichage, ou nommez-en un autre dans les réglages ([display] command)
gate-display-exited = le démon d'affichage `{ $command }` s'est arrêté ({ $status })
gate-session-bus = impossible d'utiliser le bus de session : { $why }
gate-bus = D-Bus : { $why }
gate-stopped = la porte s'est arrêtée
