package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/workspace"
)

// analysisFiles are the outputs of the analyze stage.
var analysisFiles = []string{
	workspace.ProfilesFile, workspace.SimilarityFile, workspace.ContrastsFile, workspace.SimilaritySVG,
	workspace.HeatmapSVG, workspace.DendrogramSVG, workspace.PCASVG, workspace.CrosstabFile, workspace.CoOccurFile,
	workspace.ClustersFile, workspace.HypothesesFile, workspace.FocusFile, workspace.ReportMD, workspace.ReportHTML,
}

// stageFiles are the files and folders each stage writes, removed when
// the stage's outputs no longer describe the workspace.
var stageFiles = map[string][]string{
	workspace.StageIngest:  {workspace.DocumentsFile, workspace.PassagesFile, workspace.TextsDir, workspace.FailuresFile},
	workspace.StageCode:    {workspace.CodingsFile, workspace.CodebooksDir},
	workspace.StageIndex:   {workspace.IndexDir},
	workspace.StageAnalyze: analysisFiles,
}

// writer is a stage's hold on a workspace: the Exclusive lock and the
// run manifest it updates.
type writer struct {
	out  string
	lock *workspace.Lock
	m    *workspace.Manifest
	// removed are the leftovers of a killed run that were deleted.
	removed []string
}

// openWriter takes the workspace's Exclusive lock, removes what a killed
// run left, and reads run.json (a fresh one when there is none; a damaged
// one is an error, never silently replaced).
func openWriter(cfg *Config) (*writer, error) {
	l, err := workspace.Acquire(cfg.Out, workspace.Exclusive, cfg.LockWait)
	if err != nil {
		return nil, fmt.Errorf("workspace %s: %w", cfg.Out, err)
	}
	w := &writer{out: cfg.Out, lock: l}
	if w.removed, err = workspace.RemoveLeftovers(cfg.Out); err != nil {
		l.Release()
		return nil, fmt.Errorf("remove leftovers of an interrupted run in %s: %w", cfg.Out, err)
	}
	w.m, err = workspace.ReadManifest(cfg.Out)
	if errors.Is(err, fs.ErrNotExist) {
		w.m, err = &workspace.Manifest{}, nil
	}
	if err != nil {
		l.Release()
		return nil, Usagef("%v (delete it to start the workspace afresh)", err)
	}
	w.m.Tool, w.m.Version, w.m.GoVersion = "lcity", Version, runtime.Version()
	return w, nil
}

func (w *writer) close() { w.lock.Release() }

// begin opens the writer of a stage and starts its Result.
func begin(cfg *Config) (*writer, *Result, error) {
	w, err := openWriter(cfg)
	if err != nil {
		return nil, nil, err
	}
	return w, &Result{Removed: w.removed}, nil
}

// clear removes the outputs of stages from the workspace and from the
// record.
func (w *writer) clear(stages ...string) error {
	for _, st := range stages {
		for _, o := range w.m.StageOutputs(st) {
			if err := os.RemoveAll(filepath.Join(w.out, filepath.FromSlash(o.Path))); err != nil {
				return err
			}
		}
		for _, rel := range stageFiles[st] {
			if err := os.RemoveAll(filepath.Join(w.out, rel)); err != nil {
				return err
			}
		}
		w.m.DropStages(st)
		switch st {
		case workspace.StageCode:
			w.m.Codebooks, w.m.Settings.Codebooks, w.m.Counts.Codings = nil, nil, 0
		case workspace.StageAnalyze:
			clearAnalysisSettings(&w.m.Settings)
		}
	}
	return nil
}

// clearDownstream removes the outputs derived from stage's.
func (w *writer) clearDownstream(stage string) error {
	return w.clear(workspace.Downstream[stage]...)
}

func (w *writer) save() error { return w.m.Save(w.out) }

// reader holds a workspace's Shared lock while a command reads it.
func openReader(out string, wait time.Duration) (*workspace.Lock, error) {
	l, err := workspace.Acquire(out, workspace.Shared, wait)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notWorkspace(out, err)
	}
	if err != nil {
		return nil, fmt.Errorf("workspace %s: %w", out, err)
	}
	return l, nil
}

// openRead takes the Shared lock of a workspace and reads its run.json;
// the caller releases the lock.
func openRead(out string) (*workspace.Lock, *workspace.Manifest, error) {
	l, err := openReader(out, 0)
	if err != nil {
		return nil, nil, err
	}
	m, err := readManifest(out)
	if err != nil {
		l.Release()
		return nil, nil, err
	}
	return l, m, nil
}

// notWorkspace turns a missing workspace file into the user's error.
func notWorkspace(out string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return Usagef("%s is not an lcity workspace (run `lcity run --out %s` or `lcity ingest --out %s` first): %v", out, out, out, err)
	}
	return err
}

// scan streams the workspace's passages (and codings) to fn like
// workspace.Scan and then checks that what it read is what run.json
// records. When the scan fails and a file it read was edited by hand, the
// edit is the error (the user's), not the scan's complaint about it.
func scan(out string, m *workspace.Manifest, withCodings bool, fn func(p corpus.Passage, cs []corpus.Coding) error) error {
	read, err := workspace.Scan(out, withCodings, fn)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return notWorkspace(out, err)
		}
		files := []string{workspace.PassagesFile}
		if withCodings {
			files = append(files, workspace.CodingsFile)
		}
		for _, rel := range files {
			if d, herr := workspace.HashFile(filepath.Join(out, rel)); herr == nil {
				if merr := m.CheckDigest(rel, d); merr != nil {
					return usage(merr)
				}
			}
		}
		return err
	}
	return usage(m.CheckRead(read))
}
