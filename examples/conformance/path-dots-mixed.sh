# dots: mixed . and .. over live groups, files and missing ones
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
mkdir /H1/a/b
mkdir /H1/a/b/../c
mkdir /H1/a/./d
rmdir /H1/a/b/../d
ls /H1/a/b/./..
cat /H1/a/b/../tasks
mkdir /H1/a/tasks/./x
mkdir /H1/x/./y
echo 1 > /H1/a/b/../tasks
echo 1 > /H1/a/../tasks
rmdir /H1/a/c/.
rmdir /H1/a/c/..
ls /H1/a/notify_on_release/..
cat /H1/a/b/../../a/b/tasks
rmdir /H1/a/b/../b
rmdir /H1/a/c
rmdir /H1/a
