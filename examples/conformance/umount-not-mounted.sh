# umount: of something that is not a mount point is EINVAL; inside a hierarchy the path walk answers first
mount -t cgroup -o none,name=h1 none /H1
umount /H2
mkdir /H1/a
umount /H1/a
umount /H1/a/
umount /H1/nonexist
umount /H1/a/nonexist/x
umount /H1/tasks
umount /H1/tasks/
umount /H1/a/tasks/x
rmdir /H1/a
umount /H1
umount /H1
