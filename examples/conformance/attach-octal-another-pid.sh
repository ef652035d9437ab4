# attach: a leading 0 is octal, so 012 is pid 10, and 010 is pid 8
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a /H1/b
fork 1 --pid 10
fork 1 --pid 8
echo 012 > /H1/a/tasks
echo 0xA > /H1/b/tasks
echo 010 > /H1/b/tasks
echo ' 0012' > /H1/a/tasks
cat /H1/a/tasks
cat /H1/b/tasks
exit 8
echo 010 > /H1/a/tasks
