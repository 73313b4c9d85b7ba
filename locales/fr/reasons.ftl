# La raison en une ligne de chaque décision (SPEC §2), telle que la disent
# `couper explain`, l'onglet Retenues de la fenêtre et le rapport :
# « retenue : Slack est une app de travail et samedi 21:04 est hors de vos horaires ;
# remise lundi 09:00 ».

## Un moment dans une raison : « samedi 21:04 », « lundi 14 juillet », « lundi 4 janvier 09:00 ».
reason-day-time = { $day } { $time }
reason-long-day = { $day } { $date } { $month }
reason-when-later = { $day } { $date } { $month } { $time }

## Remises.
reason-personal = remise : { $app } n'est pas une app de travail
reason-other-account = remise : { $app } est une app de travail, mais pas pour ce compte
reason-working-until = remise : { $source } est une app de travail et vous avez dit travailler jusqu'à { $until }
reason-working = remise : { $source } est une app de travail et { $when } est dans vos horaires

## Une urgence passée hors du temps de travail ; `$rest` est tout ce qui suit les
## deux-points (les interruptions du rapport ne disent que cette partie).
reason-crisis = remise en urgence : { $rest }
reason-crisis-why = { $source } a envoyé { $crisis } ; { $outside }, et { $pass }
reason-pass-on-call = vous êtes d'astreinte
reason-pass-always = les urgences passent toujours

## Retenues, mises en silence.
reason-held = retenue : { $source } est une app de travail et { $outside } ; remise { $when }
reason-held-until-back = retenue : { $source } est une app de travail et { $outside } ; remise à votre retour au travail
reason-silenced = mise en silence : { $source } se tait hors de vos horaires et { $outside }
reason-blocked-crisis = { $line } (une urgence : { $crisis }, mais les urgences ne passent que pendant l'astreinte)
reason-withdrawn = retirée par son app avant d'être remise

## Pourquoi ce n'est pas le temps de travail.
reason-off-by-hand = vous avez dit ne plus travailler ({ $when })
reason-time-off-label = { $when } tombe pendant un congé ({ $label })
reason-time-off = { $when } tombe pendant un congé
reason-holiday = { $day } est un jour férié
reason-outside-hours = { $when } est hors de vos horaires

## Ce qui en a fait une urgence.
crisis-hint = une alerte marquée comme urgence
why-crisis-critical = une notification critique
why-crisis-keyword = le mot d'urgence « { $keyword } »
# `$vowel` : le nom commence par une voyelle (« d'Alexandre », « de Bryan »).
why-crisis-sender = { $vowel ->
        [yes] un message d'{ $sender }
       *[no] un message de { $sender }
    }
why-crisis-repeat = { $count } notifications du même expéditeur en { $minutes } minutes
crisis-none = une notification

## Les sites de travail d'un navigateur (`sites` d'une app de travail) : le site tel que
## le navigateur le nomme.
reason-other-site = remise : { $site } n'est pas un site de travail pour { $app }
reason-no-site = remise : { $app } n'est une app de travail que pour ses sites de travail, et cette notification ne dit pas de quel site elle vient
reason-working-site = remise : { $site } est un site de travail ({ $source }) et { $when } est dans vos horaires
reason-working-until-site = remise : { $site } est un site de travail ({ $source }) et vous avez dit travailler jusqu'à { $until }
reason-crisis-why-site = { $site } ({ $source }) a envoyé { $crisis } ; { $outside }, et { $pass }
reason-held-site = retenue : { $site } est un site de travail ({ $source }) et { $outside } ; remise { $when }
reason-held-until-back-site = retenue : { $site } est un site de travail ({ $source }) et { $outside } ; remise à votre retour au travail
reason-silenced-site = mise en silence : { $site } est un site de travail ({ $source }) qui se tait hors de vos horaires, et { $outside }
