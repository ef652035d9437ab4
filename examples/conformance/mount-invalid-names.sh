# mount: invalid hierarchy names are EINVAL; . - _ are fine
mount -t cgroup -o none,name=a/b none /H1
mount -t cgroup -o 'none,name=a b' none /H2
mount -t cgroup -o none,name=a:b none /H3
mount -t cgroup -o none,name= none /H4
mount -t cgroup -o none,name=ok.x-y_z none /H5
mount -t cgroup -o none,name=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa none /H6
mount -t cgroup -o none,name=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb none /H7
