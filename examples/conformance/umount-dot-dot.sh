# umount: a mount point named through another one's .. or with . and doubled slashes
mount -t cgroup -o none,name=h1 none /H1
mount -t cgroup -o none,name=h2 none /H2
umount /H2/../H1
umount /H2/../H1
umount //H2/./
ls /H1
