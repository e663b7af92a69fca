// The entry point of libsinmun-imaging.so (see imaging.hpp). Everything else in the module has
// hidden visibility.
#include "media/imaging.hpp"

extern "C" __attribute__((visibility("default"))) const sinmun::media::ImagingApi*
sinmun_imaging_api() {
    static const sinmun::media::ImagingApi api{
        sinmun::media::kImagingAbi,
        sinmun::media::imaging_struct_sizes(),
        &sinmun::media::imaging_process_upload,
        &sinmun::media::imaging_save_demo_photo,
    };
    return &api;
}
