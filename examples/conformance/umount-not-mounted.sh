# umount: of something that is not a mount point is EINVAL
mount -t cgroup -o none,name=h1 none /H1
umount /H2
umount /H1
umount /H1
