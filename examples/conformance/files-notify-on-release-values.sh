# files: notify_on_release is read by kstrtoull(buf, 0), without strstrip
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
echo '1 ' > /H1/a/notify_on_release
echo +1 > /H1/a/notify_on_release
cat /H1/a/notify_on_release
echo 00 > /H1/a/notify_on_release
cat /H1/a/notify_on_release
echo 0x1 > /H1/a/notify_on_release
echo 0b1 > /H1/a/notify_on_release
echo 08 > /H1/a/notify_on_release
echo 07 > /H1/a/notify_on_release
echo -0 > /H1/a/notify_on_release
echo 18446744073709551615 > /H1/a/notify_on_release
echo 18446744073709551616 > /H1/a/notify_on_release
echo 0x10000000000000000 > /H1/a/notify_on_release
echo 0X1 > /H1/a/notify_on_release
echo '	1' > /H1/a/notify_on_release
echo -n 0 > /H1/a/notify_on_release
cat /H1/a/notify_on_release
echo -n '' > /H1/a/notify_on_release
echo 1x > /H1/a/notify_on_release
echo 0x > /H1/a/notify_on_release
echo ++1 > /H1/a/notify_on_release
echo 1 > /H1/notify_on_release
cat /H1/notify_on_release
