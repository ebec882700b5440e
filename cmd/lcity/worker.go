package main

import (
	"github.com/spf13/cobra"

	"github.com/lcity/lcity/ingest"
)

// newWorkerCmd is the hidden command a run starts its extraction worker
// processes with (ingest.Supervisor); it is not for people.
func newWorkerCmd() *cobra.Command {
	return &cobra.Command{
		Use:    ingest.WorkerArg,
		Short:  "Serve as an extraction worker of a run (internal)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ingest.ServeWorker(cmd.InOrStdin(), cmd.OutOrStdout())
		},
	}
}
