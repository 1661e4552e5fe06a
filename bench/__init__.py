"""The benchmark (`make bench`): seed national scale, drive GoLive's pages and the floor in one run, print ratios."""
