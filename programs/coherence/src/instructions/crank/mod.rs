//! Permissionless instructions anyone may crank.
