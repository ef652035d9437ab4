# umount: one of two mount points of a hierarchy; the other still works
mount -t cgroup -o none,name=h1 none /H1
mount -t cgroup -o none,name=h1 none /H1b
umount /H1
mkdir /H1b/a
ls /H1b
