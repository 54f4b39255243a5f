package io.strata.proxy;

import io.micronaut.context.ApplicationContext;
import io.strata.proxy.demo.DemoUpstream;
import io.strata.proxy.demo.WellLogDataset;
import io.strata.proxy.s3.S3Server;
import java.net.InetSocketAddress;
import java.util.Optional;

/** What Strata prints once it is listening: where it is, and for the demo how to use it. */
final class Banner {

  private Banner() {}

  static void print(ApplicationContext context, boolean demo) {
    S3Server server = context.getBean(S3Server.class);
    InetSocketAddress s3 = server.address();
    String endpoint = server.scheme() + "://" + s3.getHostString() + ":" + s3.getPort();
    String adminHost = context.getProperty("micronaut.server.host", String.class).orElse("127.0.0.1");
    String admin = context.getProperty("micronaut.server.port", Integer.class)
        .map(p -> "http://" + adminHost + ":" + p).orElse("-");
    StringBuilder out = new StringBuilder();
    out.append("\nStrata is running\n");
    out.append("  S3 endpoint : ").append(endpoint).append('\n');
    out.append("  admin       : ").append(admin).append("/health\n");
    Optional<DemoUpstream> upstream = context.findBean(DemoUpstream.class);
    if (demo && upstream.isPresent()) {
      DemoUpstream u = upstream.get();
      String sample = WellLogDataset.standard().keys().get(0);
      out.append("  upstream    : ").append(u.endpoint()).append(" (demo, in-process s3proxy)\n");
      out.append("  credentials : any key pair is accepted by Strata for now (signatures are not checked yet);\n");
      out.append("                the demo upstream itself uses ").append(u.accessKey()).append(" / ").append(u.secretKey()).append('\n');
      out.append("\nTry it (AWS CLI):\n");
      out.append("  export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo AWS_DEFAULT_REGION=us-east-1\n");
      out.append("  aws --endpoint-url ").append(endpoint).append(" s3 ls s3://well-logs/ --recursive\n");
      out.append("  aws --endpoint-url ").append(endpoint)
          .append(" s3api get-object --bucket well-logs --key " + sample + " --range bytes=-65536 /tmp/footer.bin\n");
      out.append("  curl -sI ").append(endpoint).append("/well-logs/").append(sample).append('\n');
      out.append("  curl -s '").append(endpoint).append("/well-logs?list-type=2&prefix=wells/&delimiter=/'\n");
    }
    System.out.println(out);
  }
}
