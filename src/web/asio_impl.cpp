// Asio and Beast compiled once for the whole program (BOOST_ASIO_SEPARATE_COMPILATION,
// BOOST_BEAST_SEPARATE_COMPILATION): every other translation unit includes only declarations.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
