# mkdir: under a mount point that is not mounted: ENOENT
mount -t cgroup -o none,name=h1 none /H1
umount /H1
mkdir /H1/a
mkdir /nowhere/a
