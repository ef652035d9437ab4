# umount: a hierarchy without children is destroyed; its name alone no longer mounts
mount -t cgroup -o none,name=h1 none /H1
umount /H1
mount -t cgroup -o name=h1 none /H1
umount /H1
