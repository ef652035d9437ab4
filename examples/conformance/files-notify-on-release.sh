# files: notify_on_release takes u64 values, EINVAL otherwise
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
echo 1 > /H1/a/notify_on_release
echo 2 > /H1/a/notify_on_release
cat /H1/a/notify_on_release
echo abc > /H1/a/notify_on_release
echo ' 1' > /H1/a/notify_on_release
echo 99999999999999999999 > /H1/a/notify_on_release
echo 1 > /H1/a/nosuchfile
