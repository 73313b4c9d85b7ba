# Le rapport et le relevé d'astreinte, tels que `couper report` les écrit pour une
# personne. (L'en-tête et les rubriques du CSV sont un format de fichier : ils restent
# dans le code.)

## Moments : « ven. 2 oct. 18:00 », « lun. 23 nov. 2026 ».
report-when = { $day } { $date } { $month } { $time }
report-day = { $day } { $date } { $month } { $year }
report-text-hours = { $hours } h

## Le rapport.
report-title = Rapport Couper, du { $first } au { $last } ({ $zone })
report-work = Notifications de travail
report-col-app = appli
report-col-held = retenues
report-col-silenced = silencieuses
report-col-delivered = distribuées
report-col-crises = crises
report-text-total = total
report-none = aucune
report-text-interruptions = Interruptions hors horaires : { $count } (crises passées hors de vos horaires)
report-on-call-mark = d'astreinte
report-worked = Travail choisi hors horaires : { $count } fois, { $hours } h
report-worked-outside = dont { $hours } h hors horaires
report-on-call = Astreinte : { $hours } h

## D'où vient une période d'astreinte.
report-yes = oui
report-no = non

## Le relevé d'astreinte.
statement-title = Relevé d'astreinte, { $month } { $year } ({ $zone })
statement-col-start = début
statement-col-end = fin
statement-col-hours = heures
statement-col-night = nuit
statement-col-sunday = dimanche
statement-col-holiday = férié
statement-col-origin = origine
statement-whole = (période entière : { $start } – { $end })
statement-interventions = Interventions (crises passées pendant l'astreinte) : { $count }

## Pourquoi un rapport est refusé ; `$text` est cité tel que donné.
report-not-a-month = { $text } n'est pas un mois : écrivez AAAA-MM (2026-10)
report-to-before-from = --to { $last } est avant --from { $first }
report-statement-month = le relevé d'astreinte se fait pour un mois
report-period-out-of-range = cette période sort du calendrier : { $why }
report-query-not-json = la demande de rapport n'est pas du JSON : { $why }
report-query-not-a-query = la demande de rapport n'en est pas une : { $why }
