# Les mots que toutes les parties de Couper partagent : jours, mois, et l'état de la
# journée tel que le disent l'icône, la ligne de commande et la fenêtre.

## Jours de la semaine, lundi en premier.
day-mon = lundi
day-tue = mardi
day-wed = mercredi
day-thu = jeudi
day-fri = vendredi
day-sat = samedi
day-sun = dimanche
day-short-mon = lun.
day-short-tue = mar.
day-short-wed = mer.
day-short-thu = jeu.
day-short-fri = ven.
day-short-sat = sam.
day-short-sun = dim.

## Mois.
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre
month-short-1 = janv.
month-short-2 = févr.
month-short-3 = mars
month-short-4 = avr.
month-short-5 = mai
month-short-6 = juin
month-short-7 = juil.
month-short-8 = août
month-short-9 = sept.
month-short-10 = oct.
month-short-11 = nov.
month-short-12 = déc.

## Un moment dit depuis maintenant : « 18:00 », « mar. 09:00 », « mar. 1 déc. 09:00 ».
when-today = { $time }
when-this-week = { $day } { $time }
when-later = { $day } { $date } { $month } { $time }

## L'état de la journée, dit de la même façon partout.
state-working = Au travail
state-working-until = Au travail jusqu'à { $until }
state-off = Déconnecté
state-off-until = Déconnecté jusqu'à { $until }
state-held = { $count } en attente
state-on-call = D'astreinte
state-on-call-shift = D'astreinte (planning)
state-not-gating = Ne filtre pas
