package pipeline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/learn"
	"github.com/lcity/lcity/workspace"
)

// Ways of combining a model with the dictionary.
const (
	// CombineUnion codes a passage when the dictionary or the model does.
	CombineUnion = "union"
	// CombineModel lets the model decide alone for the codes it knows.
	CombineModel = "model"
)

// coder codes passages with the dictionary (the codebooks) and, when it
// has one, a model learned from examples.
type coder struct {
	codebooks []*coding.Codebook
	model     *learn.Model
	combine   string
}

// code codes one passage; the codings are sorted by code.
func (c *coder) code(p corpus.Passage) []corpus.Coding {
	dict := coding.CodeAll(c.codebooks, p)
	if c.model == nil {
		corpus.SortCodings(dict)
		return dict
	}
	probs := c.model.Predict(learn.Features(p, dict))
	out := combine(p, dict, probs, c.combine)
	corpus.SortCodings(out)
	return out
}

// combine merges a passage's dictionary codings with a model's
// probabilities: a coding keeps its evidence, gets the model's
// probability as confidence and a source; a code only the model gives is
// a coding without evidence whose score is its probability.
func combine(p corpus.Passage, dict []corpus.Coding, probs map[string]float64, how string) []corpus.Coding {
	var out []corpus.Coding
	seen := map[string]bool{}
	for _, c := range dict {
		seen[c.CodeID] = true
		prob, known := probs[c.CodeID]
		if !known {
			out = append(out, c)
			continue
		}
		c.Confidence = &prob
		c.Source = corpus.SourceDictionary
		if prob >= learn.Threshold {
			c.Source = corpus.SourceBoth
		} else if how == CombineModel {
			continue
		}
		out = append(out, c)
	}
	codes := make([]string, 0, len(probs))
	for code := range probs {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		prob := probs[code]
		if seen[code] || prob < learn.Threshold {
			continue
		}
		out = append(out, corpus.Coding{PassageID: p.ID, DocID: p.DocID, City: p.City, Region: p.Region, Page: p.Page,
			CodeID: code, Score: prob, Source: corpus.SourceModel, Confidence: &prob})
	}
	return out
}

// dictionaryNames are the codebooks as a model records them.
func dictionaryNames(cbs []*coding.Codebook) []string {
	var out []string
	for _, cb := range cbs {
		out = append(out, cb.Name+"@"+cb.SHA256)
	}
	return out
}

// readModel reads a model file and checks it was learned with the
// codebooks cbs.
func readModel(name string, cbs []*coding.Codebook) (*learn.Model, string, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, "", Usagef("model: %v", err)
	}
	m, err := learn.Read(bytes.NewReader(data))
	if err != nil {
		return nil, "", Usagef("%s: %v", name, err)
	}
	if want := dictionaryNames(cbs); strings.Join(m.Dictionary, ",") != strings.Join(want, ",") {
		return nil, "", Usagef("%s was learned with the codebooks %v, not %v: its dictionary features would mean something else; code with the same codebooks or learn again", name, m.Dictionary, want)
	}
	sum := sha256.Sum256(data)
	return m, hex.EncodeToString(sum[:]), nil
}

// gold is a parsed gold coding: the passages it lists with their codes.
type gold struct {
	file, sha256 string
	rows         []coding.GoldRow
	listed       map[string]map[string]bool
	codebooks    []string
}

func readGold(file string) (*gold, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, Usagef("gold: %v", err)
	}
	rows, err := coding.ParseGold(data, file)
	if err != nil {
		return nil, usage(err)
	}
	g := &gold{file: file, rows: rows, listed: map[string]map[string]bool{}, codebooks: coding.GoldCodebooks(rows)}
	sum := sha256.Sum256(data)
	g.sha256 = hex.EncodeToString(sum[:])
	if abs, err := filepath.Abs(file); err == nil {
		g.file = abs
	}
	for _, r := range rows {
		if g.listed[r.PassageID] == nil {
			g.listed[r.PassageID] = map[string]bool{}
		}
		if r.CodeID != "" {
			g.listed[r.PassageID][r.CodeID] = true
		}
	}
	return g, nil
}

// codes are the codable codes of the gold's codebooks among cbs; a gold
// code that is not one of them is the user's error naming its line.
func (g *gold) codes(cbs []*coding.Codebook) ([]string, error) {
	var books []*coding.Codebook
	for _, name := range g.codebooks {
		found := false
		for _, cb := range cbs {
			if cb.Name == name {
				books, found = append(books, cb), true
			}
		}
		if !found {
			return nil, Usagef("%s codes with codebook %s, which is not among the codebooks used (%v)", g.file, name, dictionaryNames(cbs))
		}
	}
	known := map[string]bool{}
	var out []string
	for _, c := range coding.Codable(books) {
		known[c.ID] = true
		out = append(out, c.ID)
	}
	for _, r := range g.rows {
		if r.CodeID != "" && !known[r.CodeID] {
			return nil, usage(&coding.GoldError{File: g.file, Line: r.Line, Err: fmt.Errorf("code %s is not a codable code", r.CodeID)})
		}
	}
	return out, nil
}

// examples collects the gold's passages from the workspace with their
// dictionary codings; every listed passage must be there.
func (g *gold) examples(out string, m *workspace.Manifest, cbs []*coding.Codebook) ([]learn.Example, error) {
	var ex []learn.Example
	err := scan(out, m, false, func(p corpus.Passage, _ []corpus.Coding) error {
		if codes, ok := g.listed[p.ID]; ok {
			ex = append(ex, learn.Example{Passage: p, Dictionary: coding.CodeAll(cbs, p), Codes: codes})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(ex) != len(g.listed) {
		seen := map[string]bool{}
		for _, e := range ex {
			seen[e.Passage.ID] = true
		}
		for _, r := range g.rows {
			if !seen[r.PassageID] {
				return nil, usage(&coding.GoldError{File: g.file, Line: r.Line, Err: fmt.Errorf("passage %s is not in %s", r.PassageID, filepath.Join(out, workspace.PassagesFile))})
			}
		}
	}
	return ex, nil
}

// codingPlan is how a configuration codes: the codebooks, and a model
// file read or a gold coding to learn one from. Planning reads and checks
// both files before the workspace is locked; learning waits for the
// passages.
type codingPlan struct {
	codebooks []*coding.Codebook
	combine   string
	model     *learn.Model // a model file to apply
	modelFile string
	modelSum  string
	gold      *gold // a gold coding to learn from
	codes     []string
	lambda    float64
}

func (c *Config) planCoding(cbs []*coding.Codebook) (*codingPlan, error) {
	p := &codingPlan{codebooks: cbs, combine: c.Coding.Combine, lambda: c.Coding.Lambda}
	var err error
	switch {
	case c.Coding.Model != "":
		if p.model, p.modelSum, err = readModel(c.Coding.Model, cbs); err != nil {
			return nil, err
		}
		p.modelFile = c.Coding.Model
		if abs, err := filepath.Abs(c.Coding.Model); err == nil {
			p.modelFile = abs
		}
	case c.Coding.Gold != "":
		if p.gold, err = readGold(c.Coding.Gold); err != nil {
			return nil, err
		}
		if p.codes, err = p.gold.codes(cbs); err != nil {
			return nil, err
		}
		if p.lambda == 0 {
			p.lambda = learn.DefaultLambda
		}
	}
	return p, nil
}

// removeStaleModel deletes a model.json that an earlier learning left in
// the workspace, unless it is the model file this plan applies.
func (p *codingPlan) removeStaleModel(out string) error {
	name := filepath.Join(out, workspace.ModelFile)
	if abs, err := filepath.Abs(name); err == nil && abs == p.modelFile {
		return nil
	}
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// record writes the plan into run.json's settings.
func (p *codingPlan) record(s *workspace.Settings) {
	s.Gold, s.GoldSHA256, s.Lambda, s.Model, s.ModelSHA256, s.Combine = "", "", 0, "", "", ""
	switch {
	case p.model != nil:
		s.Model, s.ModelSHA256, s.Combine = p.modelFile, p.modelSum, p.combine
	case p.gold != nil:
		s.Gold, s.GoldSHA256, s.Lambda, s.Combine = p.gold.file, p.gold.sha256, p.lambda, p.combine
	}
}

// coder makes the plan's coder; with a gold coding it first learns the
// model from the workspace's passages and writes it (model.json).
func (p *codingPlan) coder(cfg *Config, m *workspace.Manifest) (*coder, []workspace.Output, error) {
	c := &coder{codebooks: p.codebooks, model: p.model, combine: p.combine}
	if p.gold == nil {
		return c, nil, nil
	}
	ex, err := p.gold.examples(cfg.Out, m, p.codebooks)
	if err != nil {
		return nil, nil, err
	}
	cfg.progress("learn", 0, len(p.codes))
	model, err := learn.Train(ex, p.codes, learn.Options{Lambda: p.lambda})
	if err != nil {
		return nil, nil, err
	}
	model.Dictionary = dictionaryNames(p.codebooks)
	d, err := workspace.WriteFile(filepath.Join(cfg.Out, workspace.ModelFile), model.Write)
	if err != nil {
		return nil, nil, err
	}
	c.model = model
	return c, []workspace.Output{workspace.NewOutput(workspace.ModelFile, d)}, nil
}
