# mount: a mount with controllers runs on the model only
mount -t cgroup -o cpu none /C1
mount -t cgroup -o none,name=h1 none /H1
