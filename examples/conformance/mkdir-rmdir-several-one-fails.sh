# mkdir and rmdir of several paths go on after one fails (the first failure is the answer)
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a /H1/a /H1/b
ls /H1
mkdir /H1/nosuch/x /H1/c
ls /H1
rmdir /H1/a /H1/nosuch /H1/b
ls /H1
mkdir -p /H1/d/e /H1/tasks/f /H1/g
ls /H1
