# The seed's scenario (DESIGN.md §3) under pin=css, rmdir=strict: run with
#   ./cgledger --in-memory sh examples/seed.sh
# Task 1 is the seed's T. After each step: the css_sets (tuple, refcount, holders).
init --subsys A,B --pin css --rmdir strict
echo "== 1. init: N0={A0,B0} held by T"
csssets
echo "== 2. mount A on /H1, B on /H2: N0 gains the two roots"
mount -t container -o A none /H1
mount -t container -o B none /H2
csssets
echo "== 3. mkdir /H1/foo: A1, N1={A1,B0} held by the directory"
mkdir /H1/foo
csssets
echo "== 4. mkdir /H2/bar: B1, N2={A0,B1}"
mkdir /H2/bar
csssets
echo "== 5. T moves into /H1/foo and /H2/bar: N3={A1,B1}"
echo 1 > /H1/foo/tasks
echo 1 > /H2/bar/tasks
csssets
echo "== 6. T charges file:1 to A: it pins A1"
charge 1 A file:1
stat /H1/foo
echo "== 7. T moves back to the roots: N3 is freed; file:1 still pins A1"
echo 1 > /H1/tasks
echo 1 > /H2/tasks
csssets
stat /H1/foo
echo "== 8. rmdir /H1/foo: strict refuses while file:1 pins A1"
rmdir /H1/foo
uncharge file:1
rmdir /H1/foo
tree
