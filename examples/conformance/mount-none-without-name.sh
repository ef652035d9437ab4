# mount: none without a name is EINVAL
mount -t cgroup -o none none /H1
