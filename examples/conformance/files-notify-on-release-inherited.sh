# files: notify_on_release is copied from the parent at mkdir, not later
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/before
echo 1 > /H1/notify_on_release
cat /H1/notify_on_release
mkdir /H1/a
cat /H1/a/notify_on_release
cat /H1/before/notify_on_release
mkdir /H1/a/b
cat /H1/a/b/notify_on_release
echo 0 > /H1/a/notify_on_release
mkdir /H1/a/c
cat /H1/a/c/notify_on_release
cat /H1/a/b/notify_on_release
echo 0 > /H1/notify_on_release
mkdir /H1/d
cat /H1/d/notify_on_release
