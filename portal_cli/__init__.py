"""portal: the operator's command line: buyers, their terms and rules, and invitations."""
