package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lcity/lcity/internal/testenv"
	"github.com/lcity/lcity/workspace"
)

// sameAsRun fails the test unless workspace got holds the files of
// workspace want byte for byte (the lock aside, and the index, whose
// files Bleve does not write byte-stably) and its index answers `lcity
// search --json` the same.
func sameAsRun(t *testing.T, want, got string) {
	t.Helper()
	a := testenv.Files(t, want, workspace.IndexDir, workspace.LockFile)
	testenv.SameFiles(t, a, testenv.Files(t, got, workspace.IndexDir, workspace.LockFile), "the run", "the merged workspace")
	if len(a) < 30 {
		t.Errorf("compared only %d files", len(a))
	}
	for _, q := range [][]string{{"learning"}, {"--region", "Europe", "community"}, {"--code", "charter.partnerships", "--limit", "500", "library OR partners"}} {
		args := append([]string{"search", "--json", "--limit", "500"}, q...)
		code1, out1, err1 := lcity(t, append(args, "--out", want)...)
		code2, out2, err2 := lcity(t, append(args, "--out", got)...)
		if code1 != 0 || code2 != 0 || out1 != out2 {
			t.Errorf("search %v: run exit %d (%s), merged exit %d (%s); same results: %v", q, code1, err1, code2, err2, out1 == out2)
		}
	}
}

// TestMergeCommand drives run --shard and merge in-process: two parts of
// the sample merge into the sample's run; wrong uses are exit 2.
func TestMergeCommand(t *testing.T) {
	want := sampleRun(t)
	dir := t.TempDir()
	p1, p2, out := filepath.Join(dir, "p1"), filepath.Join(dir, "p2"), filepath.Join(dir, "out")
	for i, p := range []string{p1, p2} {
		code, _, stderr := lcity(t, "run", "--shard", fmt.Sprintf("%d/2", i+1), "--out", p)
		if code != 0 || !strings.Contains(stderr, fmt.Sprintf("(shard %d/2: merge the parts with lcity merge)", i+1)) {
			t.Fatalf("run --shard %d/2: exit %d: %s", i+1, code, stderr)
		}
	}
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"run", "--shard", "3/2", "--out", filepath.Join(dir, "x")}, exitUsage, `shard "3/2": want I/N`},
		{[]string{"run", "--shard", "1/2", "--gold", "g.csv", "--out", filepath.Join(dir, "x")}, exitUsage, "--shard codes with the codebooks only"},
		{[]string{"merge", out}, exitUsage, "requires at least 2 arg(s)"},
		{[]string{"merge", out, p1}, exitUsage, "shard 2/2 missing"},
		{[]string{"merge", out, p1, want}, exitUsage, "is not a partial workspace"},
		{[]string{"index", "--out", p1}, exitUsage, "partial workspace of shard 1/2"},
		// verify reruns a part as the shard it is.
		{[]string{"verify", filepath.Join(p2, "run.json")}, exitOK, "a rerun reproduces them"},
		{[]string{"merge", out, p2, p1}, exitOK, "merged 2 parts: 17 documents"},
	}
	for _, tt := range tests {
		code, stdout, stderr := lcity(t, tt.args...)
		if code != tt.code || !strings.Contains(stdout+stderr, tt.want) {
			t.Errorf("lcity %v: exit %d, output %q; want exit %d and %q", tt.args, code, stdout+stderr, tt.code, tt.want)
		}
	}
	sameAsRun(t, want, out)
}

// TestSlurmArrayJob runs scripts/slurm/lcity-array.sh for real: it starts
// munged and a one-node Slurm cluster (slurmctld and slurmd, with a
// slurm.conf of its own in a temporary folder, on free ports), submits the
// array job with --wait for the sample in 3 shards and for a generated
// corpus in 4, and compares each merged workspace with a plain run. The Slurm and MUNGE programs are
// needed (under CI a missing one fails the test; .ci/run installs Debian's
// slurm-wlm and munge). slurmd launches jobs as their user, so it needs
// root: as another user the test skips saying so, as it does when the
// daemons cannot start here (their logs are quoted); the shard and merge
// test without Slurm (TestMergeCommand, pipeline's TestShardMergeIsRun)
// runs regardless.
func TestSlurmArrayJob(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Slurm cluster; not with -short")
	}
	for _, tool := range []struct{ name, pkg string }{
		{"munged", "munge"}, {"slurmctld", "slurm-wlm"}, {"slurmd", "slurm-wlm"}, {"sbatch", "slurm-wlm"}, {"sinfo", "slurm-wlm"},
	} {
		testenv.Tool(t, tool.name, tool.pkg)
	}
	if uid := os.Geteuid(); uid != 0 {
		t.Skipf("slurmd must run as root to start jobs as their user; this test runs as uid %d", uid)
	}
	root, err := testenv.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(root, "scripts", "slurm", "lcity-array.sh")
	// A generated corpus of 8 short reports (cmd/lcity-gen), beside the
	// sample.
	gen := filepath.Join(t.TempDir(), "gen")
	goTool := testenv.Tool(t, "go", "golang-go")
	if out, err := exec.Command(goTool, "run", filepath.Join(root, "cmd", "lcity-gen"), "--docs", "8", "--pages", "3", "--out", gen).CombinedOutput(); err != nil {
		t.Fatalf("lcity-gen: %v\n%s", err, out)
	}
	genRun := filepath.Join(t.TempDir(), "gen-run")
	if code, _, stderr := lcity(t, "run", "--corpus", gen, "--out", genRun); code != 0 {
		t.Fatalf("run --corpus %s: exit %d: %s", gen, code, stderr)
	}
	c := startSlurm(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	jobs := []struct {
		name string
		n    int
		want string
		args []string
	}{
		{"sample", 3, sampleRun(t), nil},
		{"generated", 4, genRun, []string{"--corpus", gen}},
	}
	// Both submitted at once: the node runs their tasks side by side.
	errs := make([]error, len(jobs))
	works := make([]string, len(jobs))
	var wg sync.WaitGroup
	for k, j := range jobs {
		works[k] = t.TempDir()
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(script, append([]string{"--wait", strconv.Itoa(j.n), "out"}, j.args...)...)
			cmd.Dir = works[k]
			cmd.Env = append(c.env(), "LCITY="+self, cliChildEnv+"=1")
			start := time.Now()
			out, err := cmd.CombinedOutput()
			t.Logf("%s: lcity-array.sh --wait %d out %v: %s\n%s", j.name, j.n, j.args, time.Since(start).Round(time.Millisecond), out)
			errs[k] = err
		}()
	}
	wg.Wait()
	for k, j := range jobs {
		work := works[k]
		if errs[k] != nil {
			logs, _ := filepath.Glob(filepath.Join(work, "out.parts", "slurm-*.out"))
			for _, l := range logs {
				b, _ := os.ReadFile(l)
				t.Logf("%s:\n%s", filepath.Base(l), b)
			}
			t.Fatalf("%s: lcity-array.sh: %v\n%s", j.name, errs[k], c.logs())
		}
		for i := 1; i <= j.n; i++ {
			m, err := workspace.ReadManifest(filepath.Join(work, "out.parts", "shard-"+strconv.Itoa(i)))
			if err != nil || m.Shard == nil || m.Shard.Index != i || m.Shard.Count != j.n {
				t.Errorf("%s: out.parts/shard-%d: %v, %+v, want the partial workspace of shard %d/%d", j.name, i, err, m, i, j.n)
			}
		}
		sameAsRun(t, j.want, filepath.Join(work, "out"))
	}
}

// slurm is a one-node cluster started by a test.
type slurm struct {
	dir   string
	procs []*exec.Cmd
}

// env is the environment of a Slurm client of the cluster.
func (s *slurm) env() []string {
	return append(os.Environ(), "SLURM_CONF="+filepath.Join(s.dir, "slurm.conf"))
}

// logs are the tails of the daemons' logs.
func (s *slurm) logs() string {
	var b strings.Builder
	for _, n := range []string{"munged.out", "slurmctld.log", "slurmctld.out", "slurmd.log", "slurmd.out"} {
		data, _ := os.ReadFile(filepath.Join(s.dir, n))
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		if len(lines) > 8 {
			lines = lines[len(lines)-8:]
		}
		fmt.Fprintf(&b, "%s:\n  %s\n", n, strings.Join(lines, "\n  "))
	}
	return b.String()
}

// freePort is a TCP port free on the loopback interface now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startSlurm starts munged, slurmctld and slurmd in a temporary folder
// and waits until the node is idle; the test's cleanup stops them. When
// they cannot start, the test is skipped with their logs.
func startSlurm(t *testing.T) *slurm {
	t.Helper()
	dir, err := os.MkdirTemp("", "lcity-slurm-") // short: MUNGE's socket path is limited
	if err != nil {
		t.Fatal(err)
	}
	s := &slurm{dir: dir}
	t.Cleanup(func() {
		for i := len(s.procs) - 1; i >= 0; i-- {
			p := s.procs[i]
			p.Process.Signal(os.Interrupt)
			done := make(chan struct{})
			go func() { p.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				p.Process.Kill()
				<-done
			}
		}
		os.RemoveAll(dir)
	})
	for _, d := range []string{"munge", "state", "spool"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	key := make([]byte, 1024)
	if f, err := os.Open("/dev/urandom"); err == nil {
		_, err = f.Read(key)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "munge", "munge.key"), key, 0o400); err != nil {
		t.Fatal(err)
	}
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	if i := strings.IndexByte(host, '.'); i > 0 {
		host = host[:i]
	}
	sock := filepath.Join(dir, "munge", "sock")
	conf := fmt.Sprintf(`# A one-node cluster for lcity's TestSlurmArrayJob.
ClusterName=lcitytest
SlurmctldHost=%[1]s(127.0.0.1)
SlurmctldPort=%[3]d
SlurmdPort=%[4]d
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=%[5]s
CredType=cred/munge
StateSaveLocation=%[2]s/state
SlurmdSpoolDir=%[2]s/spool
SlurmctldPidFile=%[2]s/slurmctld.pid
SlurmdPidFile=%[2]s/slurmd.pid
SlurmctldLogFile=%[2]s/slurmctld.log
SlurmdLogFile=%[2]s/slurmd.log
# No cgroups: a container may not offer them.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
# Four slots whatever the machine has: the test's tasks are small.
SlurmdParameters=config_overrides
NodeName=%[1]s NodeAddr=127.0.0.1 CPUs=4 RealMemory=2000 State=UNKNOWN
PartitionName=test Nodes=%[1]s Default=YES MaxTime=INFINITE State=UP
`, host, dir, freePort(t), freePort(t), sock)
	confFile := filepath.Join(dir, "slurm.conf")
	if err := os.WriteFile(confFile, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	start := func(name string, args ...string) {
		out, err := os.Create(filepath.Join(dir, name+".out"))
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(name, args...)
		cmd.Stdout, cmd.Stderr = out, out
		cmd.Env = s.env()
		if err := cmd.Start(); err != nil {
			t.Skipf("%s cannot start here: %v", name, err)
		}
		out.Close()
		s.procs = append(s.procs, cmd)
	}
	start("munged", "-F", "-f", "--socket="+sock, "--key-file="+filepath.Join(dir, "munge", "munge.key"),
		"--log-file="+filepath.Join(dir, "munged.log"), "--pid-file="+filepath.Join(dir, "munge", "pid"),
		"--seed-file="+filepath.Join(dir, "munge", "seed"))
	wait := func(what string, ok func() bool) {
		for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
			if ok() {
				return
			}
		}
		t.Skipf("Slurm cannot start here: %s within 30 s\n%s", what, s.logs())
	}
	wait("munged made no socket", func() bool { _, err := os.Stat(sock); return err == nil })
	start("slurmctld", "-D", "-i", "-f", confFile)
	start("slurmd", "-D", "-f", confFile)
	wait("the node is not idle", func() bool {
		cmd := exec.CommandContext(context.Background(), "sinfo", "-h", "-o", "%T")
		cmd.Env = s.env()
		out, err := cmd.Output()
		return err == nil && strings.TrimSpace(string(out)) == "idle"
	})
	return s
}
