# mkdir: nested groups, each under an existing parent
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
mkdir /H1/a/b
mkdir /H1/a/b/c
ls /H1/a/b
