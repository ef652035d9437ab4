# mount: name= alone attaches to an existing hierarchy, and cannot create one
mount -t cgroup -o none,name=h1 none /H1
mount -t cgroup -o name=h1 none /H1b
mount -t cgroup -o name=nosuch none /H2
