// The one place that wires the modules together: opens the store, seeds demo content, starts
// the market hub and feeds, builds the renderer and the router, and runs the server.
#pragma once

#include "app/config.hpp"

namespace sinmun::app {

// Runs the site until SIGTERM/SIGINT; returns the process exit code.
int run_serve(const Config& cfg);
// Opens (creating and migrating) the database and exits.
int run_migrate(const Config& cfg);

}  // namespace sinmun::app
