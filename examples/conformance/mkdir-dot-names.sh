# mkdir: . and .. exist
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
mkdir /H1/a/.
mkdir /H1/a/..
