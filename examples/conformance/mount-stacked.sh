# mount: another hierarchy over a mount point already in use
mount -t cgroup -o none,name=h1 none /H1
mount -t cgroup -o none,name=h2 none /H1
