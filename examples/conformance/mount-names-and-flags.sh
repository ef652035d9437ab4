# mount: more name rules (é, =, +, @, ~, name twice), xattr without none, flags of a second mount
mount -t cgroup -o none,name=é none /H1
mount -t cgroup -o none,name=a=b none /H2
mount -t cgroup -o none,name=a+b none /H3
mount -t cgroup -o none,name=h1,name=h1 none /H4
mount -t cgroup -o xattr,name=h5 none /H5
mount -t cgroup -o none,name=a@b none /H6
mount -t cgroup -o none,name=a~b none /H7
mount -t cgroup -o none,name=h14 none /H14
mount -t cgroup -o none,name=h14 none /H15
mount -t cgroup -o none,name=h14,xattr none /H16
mount -t cgroup -o xattr,name=h14 none /H17
umount /H14
umount /H15
umount /H16
umount /H17
mount -t cgroup -o name=h14 none /H18
