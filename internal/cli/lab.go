package cli

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/imagelab/imagelab/internal/grade"
	"github.com/imagelab/imagelab/internal/i18n"
	"github.com/imagelab/imagelab/internal/lab"
	"github.com/imagelab/imagelab/internal/lab/roster"
	"github.com/imagelab/imagelab/internal/lab/seeds"
)

func newLabCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lab",
		Short: "Instructor tools: student tokens and seed files",
		Long: `The lab commands derive each student's token from the course secret and
write the seed files that hand the task, the token and the expected image
name to the students. See docs/LAB.md.`,
	}
	cmd.AddCommand(newLabTokenCommand(), newLabSeedsCommand())
	return cmd
}

func newLabTokenCommand() *cobra.Command {
	var secretFile string
	cmd := &cobra.Command{
		Use:   "token --secret-file FILE LOGIN...",
		Short: "Print each student's token",
		Long: `token prints one line per login: the login, a tab, and the student's
token, the hex HMAC-SHA256 of the login keyed with the course secret.`,
		Example: `  imagelab lab token --secret-file ~/course.secret ivanov petrova`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, logins []string) error {
			secret, err := readSecret(secretFile)
			if err != nil {
				return err
			}
			for _, login := range logins {
				if err := lab.ValidateLogin(login); err != nil {
					return usageError(err)
				}
			}
			for _, login := range logins {
				fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\n", login, secret.Token(login))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&secretFile, "secret-file", "", "file holding the course secret; it must have mode 0600")
	cmd.MarkFlagRequired("secret-file")
	return cmd
}

// seedsOptions are the flags of `imagelab lab seeds`.
type seedsOptions struct {
	secretFile string
	rosterFile string
	out        string
	lang       string
	force      bool
}

func newLabSeedsCommand() *cobra.Command {
	var o seedsOptions
	cmd := &cobra.Command{
		Use:   "seeds --secret-file FILE --roster roster.csv --out DIR",
		Short: "Write one seed file per student",
		Long: `seeds writes DIR/<login>.md for every student on the roster: the task in
short, the login, the token, the expected image reference
<login>/image-lab:<first 8 hex digits of the token> and the build command.
When any of the files exists already, seeds writes none of them unless
--force is given.`,
		Example: `  imagelab lab seeds --secret-file ~/course.secret --roster roster.csv --out seeds/
  imagelab lab seeds --secret-file ~/course.secret --roster roster.csv --out seeds-en/ --lang en`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runSeeds(cmd, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.secretFile, "secret-file", "", "file holding the course secret; it must have mode 0600")
	f.StringVar(&o.rosterFile, "roster", "", "roster CSV with a header row and a login column")
	f.StringVar(&o.out, "out", "", "folder to write the seed files into")
	f.StringVar(&o.lang, "lang", "ru", "language of the seed files, ru or en")
	f.BoolVar(&o.force, "force", false, "overwrite existing seed files")
	for _, name := range []string{"secret-file", "roster", "out"} {
		cmd.MarkFlagRequired(name)
	}
	return cmd
}

func runSeeds(cmd *cobra.Command, o seedsOptions) error {
	lang, err := i18n.Parse(o.lang)
	if err != nil {
		return usageError(err)
	}
	secret, err := readSecret(o.secretFile)
	if err != nil {
		return err
	}
	ros, err := loadRoster(o.rosterFile)
	if err != nil {
		return err
	}
	warnForeignTags(ros, secret)
	written, err := seeds.Write(seeds.Options{Dir: o.out, Students: ros.Students, Secret: secret, Lang: lang, Force: o.force})
	var exists *seeds.ExistsError
	if errors.As(err, &exists) {
		return usageError(err)
	}
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	fmt.Fprintf(cmd.OutOrStdout(), "wrote %d seed files to %s\n", len(written), o.out)
	if len(ros.Problems) > 0 {
		return &ExitError{Code: 1, Err: fmt.Errorf("%d roster lines were skipped, see the warnings above", len(ros.Problems))}
	}
	return nil
}

// warnForeignTags warns about roster images whose tag is not the one the
// identity-tag check expects, because those students would lose its points.
func warnForeignTags(ros *roster.Roster, secret lab.Secret) {
	for _, s := range ros.Students {
		want := lab.Tag(secret.Token(s.Login))
		if s.Image != "" && grade.TagOf(s.Image) != want {
			slog.Warn("the roster's image has another tag than the token's, so the identity-tag check will fail",
				"login", s.Login, "image", s.Image, "expected_tag", want)
		}
	}
}

func readSecret(path string) (lab.Secret, error) {
	secret, err := lab.ReadSecretFile(path)
	if err != nil {
		return secret, usageError(err)
	}
	return secret, nil
}

// loadRoster reads the roster and logs every skipped line to stderr.
func loadRoster(path string) (*roster.Roster, error) {
	ros, err := roster.Load(path)
	if err != nil {
		return nil, usageError(err)
	}
	for _, p := range ros.Problems {
		slog.Warn("skipping a roster line", "roster", path, "line", p.Line, "login", p.Login, "reason", p.Reason)
	}
	return ros, nil
}
