"""Series data folders: manifests, reviewer variants, matrices and review rules."""
