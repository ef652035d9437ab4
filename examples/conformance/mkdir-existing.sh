# mkdir: an existing name is EEXIST, mkdir -p of it is fine
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
mkdir /H1/a
mkdir -p /H1/a
mkdir /H1
