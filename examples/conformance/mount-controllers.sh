# mount: a mount with controllers runs on the model only, and so does every line under its mount point
mount -t cgroup -o cpu none /C1
mount -t cgroup -o none,name=h1 none /H1
mkdir /C1/a
mkdir /H1/a
echo 1 > /C1/a/tasks
cat /C1/a/tasks
ls /C1
cd /C1/a
mkdir b
cd /H1
rmdir /C1/a/b
echo 1 > /C1/tasks
rmdir /C1/a
umount /C1
mkdir /C1/a
rmdir /H1/a
