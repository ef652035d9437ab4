# mkdir and rmdir: trailing slashes and doubled slashes
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a/
mkdir /H1//b
mkdir /H1/a//c///
mkdir /H1/...
mkdir /H1/a/c/
ls /H1/a
rmdir /H1/a//c/
rmdir //H1/b//
rmdir /H1/.../
ls /H1
rmdir /H1/a/tasks/
rmdir /H1/a/.
rmdir /H1/a/..
rmdir /H1/a
