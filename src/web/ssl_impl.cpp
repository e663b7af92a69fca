// Asio's SSL support compiled once (BOOST_ASIO_SEPARATE_COMPILATION), for the outgoing clients
// only; the server library does not link OpenSSL.
#include <boost/asio/ssl/impl/src.hpp>
