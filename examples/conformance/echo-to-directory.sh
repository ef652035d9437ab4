# echo: writing to a directory is EISDIR
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
echo 1 > /H1/a
echo 1 > /H1/a/
echo 1 > /H1/a/.
echo 1 > /H1/a/tasks
