# Les mots propres à l'icône de la barre (src-tauri/src/tray/look.rs). Son élément « Je
# suis déconnecté » et l'état de son infobulle sont les lignes d'état de common.ftl,
# telles que les disent la ligne de commande et la fenêtre.

## L'infobulle : « Couper : Déconnecté jusqu'à mar. 09:00 · 12 en attente · D'astreinte ».
tray-tooltip = Couper : { $state }

## Le menu.
tray-held = En attente ({ $count })…
tray-copy-reply = Copier la réponse automatique
tray-settings = Réglages…
tray-quit = Quitter
# Dans l'appli placée devant un `couper run` sans fenêtre : quitter laisse le filtre tourner.
tray-quit-couper-run = Quitter (Couper continue)
# Tant que Couper se tient à l'écart (il a échoué ouvert).
tray-gate-replace = { state-not-gating } : placer Couper devant { $who }
tray-gate-retry = { state-not-gating } : réessayer
