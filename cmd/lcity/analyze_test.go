package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcity/lcity/workspace"
)

// TestAnalyze: analyze on a workspace that is not coded yet says so;
// --codebook restricts the profile to one codebook and run.json records
// it, so verify reruns the same analysis; a codebook the workspace was not
// coded with is a usage error.
func TestAnalyze(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := lcity(t, "ingest", "--out", out); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, stderr)
	}
	if code, _, stderr := lcity(t, "analyze", "--out", out); code != exitUsage || !strings.Contains(stderr, "not coded") {
		t.Errorf("analyze before code: exit %d %q", code, stderr)
	}
	if code, _, stderr := lcity(t, "code", "--out", out); code != 0 {
		t.Fatalf("code: exit %d: %s", code, stderr)
	}
	if code, _, stderr := lcity(t, "analyze", "--out", out, "--codebook", "drivers", "--permutations", "9"); code != 0 {
		t.Fatalf("analyze --codebook drivers: exit %d: %s", code, stderr)
	}
	profiles, _ := os.ReadFile(filepath.Join(out, workspace.ProfilesFile))
	if !strings.Contains(string(profiles), "drivers.") || strings.Contains(string(profiles), "charter.") {
		t.Error("profiles.csv is not restricted to the drivers codebook")
	}
	m, err := workspace.ReadManifest(out)
	if err != nil || strings.Join(m.Settings.AnalysisCodebooks, ",") != "drivers" || len(m.StageOutputs(workspace.StageAnalyze)) != 14 {
		t.Errorf("run.json: analysis codebooks %v, %d analysis outputs, %v", m.Settings.AnalysisCodebooks, len(m.StageOutputs(workspace.StageAnalyze)), err)
	}
	if code, stdout, stderr := lcity(t, "verify", filepath.Join(out, workspace.RunFile)); code != 0 {
		t.Errorf("verify a staged workspace: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := lcity(t, "analyze", "--out", out, "--codebook", "nosuch"); code != exitUsage || !strings.Contains(stderr, "nosuch") {
		t.Errorf("analyze --codebook nosuch: exit %d %q", code, stderr)
	}
}
