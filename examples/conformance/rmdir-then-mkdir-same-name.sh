# rmdir then mkdir of the same name: the name is free at once
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
rmdir /H1/a
mkdir /H1/a
rmdir /H1/a
rmdir /H1/a
