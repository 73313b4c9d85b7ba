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
