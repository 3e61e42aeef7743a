"""portal: the operator's command line: buyers, their terms and rules, invitations and API keys."""
