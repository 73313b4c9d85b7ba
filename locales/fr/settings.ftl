# Pourquoi un fichier de réglages (ou le formulaire de la fenêtre) est refusé : la
# raison après « settings.toml:9: hours.mon: ». Les valeurs sont citées telles qu'écrites.

## Valeurs.
settings-not-range = { $value } n'est pas de la forme HH:MM-HH:MM
settings-range-24-start = { $value } : 24:00 n'est permis qu'en fin de plage
settings-range-not-time = { $value } : { $time } n'est pas une heure de la journée (00:00 à 23:59, ou 24:00 en fin de plage)
settings-range-same = { $value } commence et finit à la même heure
settings-not-date = { $value } n'est pas une date (AAAA-MM-JJ)
settings-not-calendar-day = { $value } n'est pas un jour du calendrier
settings-not-datetime = { $value } n'est pas une date et heure locale comme "2026-11-27T18:00"
settings-datetime-not-time = { $value } : { $time } n'est pas une heure de la journée
settings-not-week-time = { $value } n'est pas un jour et une heure comme "fri 18:00"
settings-not-weekday = { $value } : { $day } n'est pas un jour ({ $days })
settings-week-time-not-time = { $value } : { $time } n'est pas une heure de la journée (00:00 à 23:59)
settings-not-language = { $value } n'est pas une langue que Couper parle : écrivez "fr" ou "en"
settings-not-one-of = { $value } n'est pas l'une des valeurs { $known }
settings-timezone-empty = le fuseau horaire est vide ; retirez la clé pour utiliser celui du système
settings-timezone-unknown = fuseau horaire inconnu { $value } (un nom IANA comme "Europe/Paris")
settings-holidays-unknown = calendrier de jours fériés inconnu { $value } ; connu : "FR"
settings-empty-name = nom vide
settings-empty-app = application vide
settings-empty-account = compte vide (retirez la clé pour tous les comptes)
settings-empty-entry = entrée vide (elle correspondrait à tout)
settings-empty-calendar = calendrier vide (retirez la clé s'il n'y en a pas)
settings-empty-calendar-match = calendar_match vide (il correspondrait à tous les événements)
settings-at-least = { $key } doit valoir au moins { $min }, pas { $value }
settings-too-large = { $key } est trop grand : { $value }
settings-has-offset = { $value } a un décalage UTC ; écrivez l'heure locale ("2026-11-27T18:00")
settings-expected-date-or-datetime = une date ou une date et heure est attendue, pas { $found }
settings-expected-datetime = une date et heure est attendue, pas { $found }
settings-expected-date = une date est attendue, pas { $found }
settings-ends-before-start = finit ({ $end }) avant de commencer ({ $start })
settings-starts-ends-same = commence et finit au même moment ({ $start })
settings-command-empty = la commande est vide ; retirez la clé pour trouver le démon d'affichage par les fichiers d'activation D-Bus
settings-program-empty = le nom du programme est vide

## La forme du fichier (le détail de TOML, en anglais, suit certains d'entre eux).
settings-duplicate-key = clé en double { $key }
settings-not-toml = TOML invalide : { $detail }
settings-unknown-weekday = jour inconnu { $name } ; les jours sont { $days }
settings-unknown-key = clé inconnue { $name }
settings-unknown-key-known = clé inconnue { $name } ; clés connues : { $known }
settings-missing-key = clé manquante { $name }
settings-wrong-type = type incorrect : { $detail }
settings-bad-value = valeur refusée : { $detail }

## Le formulaire de la fenêtre.
settings-form-not-table = le formulaire n'est pas une table de réglages : { $detail }

## L'enregistrement.
settings-not-saved = non enregistré : { $path } : { $detail }
settings-not-saved-refused = non enregistré : le fichier n'est pas valide ; corrigez-le d'abord :

## Sites de travail (`sites` d'un `[[work_apps]]`).
settings-empty-site = site vide (retirez-le, ou écrivez un hôte comme « linkedin.com »)
settings-site-host-only = { $value } n'est pas un site tel que Couper l'attend : écrivez l'hôte seul, { $host } (ses sous-domaines sont compris)
settings-not-site = { $value } n'est pas un site : écrivez un hôte comme « linkedin.com » (ses sous-domaines sont compris)
