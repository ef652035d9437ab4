# mount on a mount point in use: the options are read first
mount -t cgroup -o none,name=h1 none /H1
mount -t cgroup -o none,name=a/b none /H1
mount -t cgroup -o name=nosuch none /H1
mount -t cgroup -o none none /H1
mount -t cgroup -o none,name=h1,name=h2 none /H1
mount -t cgroup -o name=h1 none /H1
mount -t cgroup -o none,name=h1,xattr none /H1
