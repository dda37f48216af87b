"""marsad: who did what to whom, who said what, where and when, in Arabic news."""
