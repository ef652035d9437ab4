# mount: repeated or unknown options
mount -t cgroup -o none,name=h1,name=h2 none /H1
mount -t cgroup -o none,name=h1,bogus none /H1
mount -t cgroup -o none,name=h1,none=1 none /H1
mount -t cgroup -o none,,name=h1,none none /H1
mount -t cgroup -o none,name=h1,xattr none /H2
