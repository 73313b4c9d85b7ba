# `couper browser` : un profil de travail pour Firefox ou Chromium, avec son entrée de
# menu (browser-entry-…, écrites dans les deux langues dans le fichier .desktop) et une
# source de travail.

browser-entry-name = { $browser } (travail)
browser-entry-generic = Navigateur web
browser-entry-comment = { $browser } avec votre profil de travail : Couper retient ce qu'il affiche en dehors de vos heures de travail
browser-not-installed = { $browser } n'est pas installé ici (cherché : { $looked })
browser-no-home = pas de dossier personnel : définissez HOME
browser-profile-failed = { $browser } n'a pas pu créer le profil de travail : { $why }
browser-entry-failed = impossible d'écrire l'entrée de menu { $entry } : { $why }
browser-added = { $name } est créé : son entrée de menu { $entry } lance le navigateur avec son propre profil ({ $profile }) ; tout ce qu'il affiche est du travail (une source de travail dans { $settings })
browser-removed = { $name } est retiré du menu et des sources de travail ; les données de son profil restent dans { $profile }
browser-none-to-remove = il n'y a pas de profil de travail pour { $browser } à retirer
browser-list-item = { $name } : entrée de menu { $entry }, profil { $profile }, une source de travail (app { $app })
browser-list-item-not-work = { $name } : entrée de menu { $entry }, profil { $profile }, mais absent des sources de travail (pas d'app de travail { $app })
browser-list-none = aucun profil de travail : créez-en un avec `couper browser add firefox` ou `couper browser add chromium`
