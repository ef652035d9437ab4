# a path's . and .. are walked as the kernel walks them: after a missing cgroup ENOENT, after a file ENOTDIR
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
mkdir /H1/nonexist/../d
mkdir /H1/nonexist/./d
mkdir /H1/tasks/../e
mkdir /H1/a/tasks/../e
mkdir /H1/a/../b
ls /H1/nonexist/..
ls /H1/a/..
cat /H1/nonexist/../tasks
echo 1 > /H1/nonexist/../tasks
echo 1 > /H1/a/../a/tasks
rmdir /H1/nonexist/../b
rmdir /H1/a/../b
